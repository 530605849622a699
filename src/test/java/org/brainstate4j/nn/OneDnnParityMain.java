package org.brainstate4j.nn;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.brainstate4j.graph.NativeBackend;

/**
 * Runs the golden parity cases in a JVM that loaded ND4J's OneDNN build: every case with kernel
 * dilation (the ops OneDNN cannot run in FLOAT), the cases tagged {@code onednn_conv3d} (the conv3d
 * geometry whose weight gradient OneDNN got wrong with the op's own padding, and its neighbours),
 * the fast set, and GroupNorm's precision cases ({@link GroupNormPrecisionTest}). Started by {@link OneDnnBuildTest};
 * exit status 0 = all matched, 1 = mismatches, 3 = the OneDNN build was not loaded.
 */
public final class OneDnnParityMain {
    private OneDnnParityMain() {}

    public static void main(String[] args) throws Exception {
        if (!NativeBackend.isOneDnnBuild()) {
            System.out.println("not the OneDNN build");
            System.exit(3);
        }
        int checked = 0;
        int dilated = 0;
        int conv3dCases = 0;
        List<String> failures = new ArrayList<>();
        for (JsonObject c : GoldenParityTest.allCases()) {
            boolean isDilated = false;
            for (int d : GoldenParityTest.ints(c.get("rhs_dilation"))) isDilated |= d > 1;
            List<String> tags = GoldenParityTest.tags(c);
            boolean conv3dCase = tags.contains("onednn_conv3d");
            if (!isDilated && !conv3dCase && !tags.contains("fast")) continue;
            try {
                GoldenParityTest.check(c);
            } catch (AssertionError | Exception e) {
                failures.add(c.get("id").getAsString() + ": " + e.getMessage());
            }
            checked++;
            if (isDilated) dilated++;
            if (conv3dCase) conv3dCases++;
        }
        int groupNormCases = 0;
        for (JsonObject c : GroupNormPrecisionTest.cases().toList()) {
            try {
                GroupNormPrecisionTest.check(c);
            } catch (AssertionError | Exception e) {
                failures.add(c.get("id").getAsString() + ": " + e.getMessage());
            }
            groupNormCases++;
        }
        System.out.printf("checked %d cases (%d with kernel dilation) on the OneDNN build%n", checked, dilated);
        System.out.printf("onednn_conv3d cases: %d%n", conv3dCases);
        System.out.printf("groupnorm_precision cases: %d%n", groupNormCases);
        failures.forEach(f -> System.out.println("FAILED " + f));
        System.exit(failures.isEmpty() ? 0 : 1);
    }
}
