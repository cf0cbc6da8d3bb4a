/**
 * The tests' own libc binding (JNA), separate from the plugin's on purpose: a test that checks the
 * plugin's view of the kernel must not build that state through the code under test. JNA is used
 * here and nowhere else in the test code.
 */
package org.checksocketbacklog.testsupport.libc;
