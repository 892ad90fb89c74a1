package dev.meshunit.config.load.internal;

import dev.meshunit.config.Metadata;
import java.util.List;

/** What the analyzers need of an Istio Gateway in the files: its name and its servers' hosts. */
public record GatewayResource(Metadata metadata, List<List<String>> serverHosts) {}
