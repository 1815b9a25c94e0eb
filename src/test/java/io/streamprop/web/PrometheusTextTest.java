package io.streamprop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.serde.Rejection;
import io.streamprop.stats.LearningStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void shouldNameKafkaMetricsByGroupAndNameWithTheirTagsAsLabels() {
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        put(metrics, "stream-thread-metrics", "process-rate", Map.of("thread-id", "app-1-StreamThread-1"), 12.5);
        put(metrics, "stream-thread-metrics", "process-total", Map.of("thread-id", "app-1-StreamThread-1"), 40.0);
        put(metrics, "stream-thread-metrics", "process-rate", Map.of("thread-id", "app-1-StreamThread-2"), Double.NaN);
        put(metrics, "app-info", "version", Map.of("client-id", "c"), "4.4.0");
        put(metrics, "app-info", "odd", Map.of("weird", "a \"quoted\"\\ value\nnext"), Long.MAX_VALUE);

        String text = new PrometheusText().addKafkaMetrics(metrics).render();

        assertTrue(text.contains("# TYPE kafka_streams_stream_thread_metrics_process_rate gauge\n"), text);
        assertTrue(text.contains("kafka_streams_stream_thread_metrics_process_rate{thread_id=\"app-1-StreamThread-1\"} 12.5\n"),
                text);
        assertTrue(text.contains("kafka_streams_stream_thread_metrics_process_rate{thread_id=\"app-1-StreamThread-2\"} NaN\n"),
                text);
        assertTrue(text.contains("# TYPE kafka_streams_stream_thread_metrics_process_total counter\n"), text);
        assertTrue(text.contains("kafka_streams_stream_thread_metrics_process_total{thread_id=\"app-1-StreamThread-1\"} 40\n"),
                text);
        assertFalse(text.contains("app_info_version"), "a text value is left out");
        assertTrue(text.contains("kafka_streams_app_info_odd{weird=\"a \\\"quoted\\\"\\\\ value\\nnext\"} "
                + Long.MAX_VALUE + "\n"), text);
        assertEquals(1, count(text, "# TYPE kafka_streams_stream_thread_metrics_process_rate "),
                "one family, two samples");
        PrometheusParser.parse(text);
    }

    @Test
    void shouldExposeEveryDeadLetterReasonAndNoModelBeforeAnyLearns() {
        String text = new PrometheusText().addLearningStats(new LearningStats(), 0).render();

        Map<String, Double> samples = PrometheusParser.parse(text);
        for (Rejection r : Rejection.values()) {
            assertEquals(0.0, samples.get("streamprop_dead_letters_total{reason=\"" + r.code() + "\"}"), r.code());
        }
        assertFalse(text.contains("streamprop_model_"));
    }

    @Test
    void shouldWriteNumbersAsPrometheusReadsThem() {
        assertEquals("3", PrometheusText.number(3));
        assertEquals("3", PrometheusText.number(3.0));
        assertEquals("0.25", PrometheusText.number(0.25));
        assertEquals("1.0E-7", PrometheusText.number(1e-7));
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusText.number(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", PrometheusText.number(Double.NaN));
        assertEquals("_9lives", PrometheusText.metricName("9lives"));
        assertEquals("tag__x", PrometheusText.labelName("__x"));
        assertEquals(List.of("a_b_c"), List.of(PrometheusText.metricName("a-b.c")));
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static void put(Map<MetricName, Metric> metrics, String group, String name, Map<String, String> tags,
                            Object value) {
        MetricName metricName = new MetricName(name, group, "the " + name + " of " + group, tags);
        metrics.put(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }
}
