package dev.estoria.facade;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java example in examples/ compiles against this module and runs. (The examples module builds it
 * too once it depends on java-facade; this test keeps it honest from here meanwhile.)
 */
class JavaExampleCompilesTest {
    private static final String EXAMPLE = "dev/estoria/examples/java/JavaBankDemo.java";

    @Test
    void theJavaBankDemoCompilesAndRuns() throws Exception {
        Path source = Path.of("..", "examples", "src", "main", "java").resolve(EXAMPLE);
        assertTrue(Files.exists(source), source + " is missing");
        Path classes = JavaSources.compile(EXAMPLE, Files.readString(source));
        String output = JavaSources.runMain(classes, "dev.estoria.examples.java.JavaBankDemo");
        assertTrue(output.contains("balance now 120"), output);
        assertTrue(output.contains("refused: balance 120 does not cover 1000"), output);
        assertTrue(output.contains("conflict: expected Exact(1), stream at 4"), output);
        assertTrue(output.contains("at version 2: Account[") && output.contains("balance=100]"), output);
        assertTrue(output.contains("correlation_id"), output);
        assertTrue(output.contains("4 events stored"), output);
    }
}
