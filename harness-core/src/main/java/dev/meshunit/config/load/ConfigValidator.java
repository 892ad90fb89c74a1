package dev.meshunit.config.load;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.internal.DestinationRuleAnalyzers;
import dev.meshunit.config.load.internal.DestinationRuleChecks;
import dev.meshunit.config.load.internal.GatewayAnalyzers;
import dev.meshunit.config.load.internal.GatewayResource;
import dev.meshunit.config.load.internal.MeshChecks;
import dev.meshunit.config.load.internal.Report;
import dev.meshunit.config.load.internal.ServiceEntryAnalyzers;
import dev.meshunit.config.load.internal.ServiceEntryChecks;
import dev.meshunit.config.load.internal.VirtualServiceChecks;
import dev.meshunit.config.load.internal.WorkloadEntryChecks;
import java.util.ArrayList;
import java.util.List;

/**
 * Istio's validation webhook rules and the istioctl analyzers that matter for one proxy, plus MeshUnit's
 * lint for well-known surprises. Reports every problem at once; positions come from the locator, so YAML
 * and the fluent builder share it.
 */
public final class ConfigValidator {

    public List<Problem> validate(IstioConfig config, SourceLocator locator) {
        return validate(config, locator, List.of());
    }

    /** @param gateways the Istio Gateways in the files, for the analyzers that compare VirtualServices with them */
    List<Problem> validate(IstioConfig config, SourceLocator locator, List<GatewayResource> gateways) {
        List<Problem> problems = new ArrayList<>();
        Report report = new Report(locator, problems, null);
        config.virtualServices().forEach(vs -> VirtualServiceChecks.check(vs, report.about(vs)));
        config.destinationRules().forEach(dr -> DestinationRuleChecks.check(dr, report.about(dr)));
        config.serviceEntries().forEach(se -> ServiceEntryChecks.check(se, report.about(se)));
        config.workloadEntries().forEach(we -> WorkloadEntryChecks.standalone(we.spec(), report.about(we)));
        new MeshChecks(config, report).check();
        ServiceEntryAnalyzers.check(config, report);
        DestinationRuleAnalyzers.check(config, report);
        GatewayAnalyzers.check(config, gateways, report);
        problems.sort(Problem.ORDER);
        return problems;
    }
}
