/**
 * Child processes for the tests: every one runs with a hard time limit, and, when the tests run
 * as root, can be made to run as user nobody to check what an unprivileged plugin sees.
 */
package org.checksocketbacklog.testsupport.processes;
