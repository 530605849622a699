package org.brainstate4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A Spark context in local mode with 2 worker threads, as the tests use it. */
final class LocalSpark {
    private LocalSpark() {}

    static JavaSparkContext start(String appName) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName(appName)
                .set("spark.ui.enabled", "false")
                // loopback only: the tests never reach another host
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return new JavaSparkContext(conf);
    }
}
