package dev.meshunit.chaos.scenarios;

import java.time.Duration;

/**
 * One step of a scenario: a call to MeshUnit's admin API or its Toxiproxy API (method, which API, path, JSON
 * body or null), then a hold before the next step. The same step is an http action in a Chaos Toolkit experiment.
 */
public record Step(String name, String method, Api api, String path, String body, Duration hold) {
    /** Where a step's call goes. */
    public enum Api { ADMIN, TOXIPROXY }

    static Step fault(String name, String json, Duration hold) {
        return new Step(name, "POST", Api.ADMIN, "/faults", json, hold);
    }

    static Step clearFaults(String name, Duration hold) {
        return new Step(name, "DELETE", Api.ADMIN, "/faults", null, hold);
    }

    static Step toxic(String name, String proxy, String json, Duration hold) {
        return new Step(name, "POST", Api.TOXIPROXY, "/proxies/" + proxy + "/toxics", json, hold);
    }

    static Step removeToxic(String name, String proxy, String toxic, Duration hold) {
        return new Step(name, "DELETE", Api.TOXIPROXY, "/proxies/" + proxy + "/toxics/" + toxic, null, hold);
    }
}
