package io.streamprop.bench;

import io.streamprop.nn.NetworkSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs numpy, where {@code python3} with numpy is installed, on the products of a training step,
 * single-threaded, as the native reference for the core benchmark.
 */
public final class NumpyReference {
    private static final Logger LOG = LoggerFactory.getLogger(NumpyReference.class);
    private static final String SCRIPT = "numpy_products.py";

    private NumpyReference() {
    }

    /** GFLOP/s per spec, in order; empty when python3 or numpy is missing or fails. */
    public static List<OptionalDouble> rates(List<NetworkSpec> specs) {
        List<OptionalDouble> rates = new ArrayList<>();
        try {
            ProcessBuilder builder = new ProcessBuilder("python3", "-c", script());
            Map<String, String> env = builder.environment();
            env.put("OPENBLAS_NUM_THREADS", "1");
            env.put("OMP_NUM_THREADS", "1");
            env.put("MKL_NUM_THREADS", "1");
            // these slow a current OpenBLAS down; they are left alone everywhere but here
            env.remove("OPENBLAS_CORETYPE");
            env.remove("OPENBLAS_L2_SIZE");
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process python = builder.start();
            try (OutputStream in = python.getOutputStream()) {
                StringBuilder lines = new StringBuilder();
                for (NetworkSpec spec : specs) {
                    lines.append(spec.batchSize());
                    spec.layers().forEach(size -> lines.append(' ').append(size));
                    lines.append('\n');
                }
                in.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            }
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    rates.add(OptionalDouble.of(Double.parseDouble(line.trim())));
                }
            }
            if (!python.waitFor(5, TimeUnit.MINUTES) || python.exitValue() != 0) {
                LOG.warn("numpy reference failed (exit {}); is numpy installed?",
                        python.isAlive() ? "timeout" : python.exitValue());
                python.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warn("numpy reference unavailable: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (rates.size() < specs.size()) {
            rates.add(OptionalDouble.empty());
        }
        return rates;
    }

    private static String script() throws IOException {
        try (InputStream in = NumpyReference.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
