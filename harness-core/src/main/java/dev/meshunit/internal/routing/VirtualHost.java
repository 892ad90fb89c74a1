package dev.meshunit.internal.routing;

import java.util.List;

/** The compiled rules of one VirtualService, in order, for the hosts (FQDNs or wildcards) it names. */
record VirtualHost(String name, List<String> hosts, List<Route> routes) {}
