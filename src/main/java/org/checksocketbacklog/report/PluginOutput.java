package org.checksocketbacklog.report;

import org.checksocketbacklog.plugin.Status;

/** What the plugin prints on stdout and the state its exit code carries. */
public record PluginOutput(Status status, String text) {
}
