package dev.estoria.facade;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java quick start of the project README.md compiles and runs exactly as written. */
class ReadmeQuickStartTest {
    private static final String MARKER = "<!-- java-quick-start";

    @Test
    void theQuickStartCompilesAndRunsAsWritten() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int marker = readme.indexOf(MARKER);
        assertTrue(marker >= 0, "README.md lost its " + MARKER + " marker");
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(marker), "no java block after the marker");
        String source = block.group(1);

        Path classes = JavaSources.compile("QuickStart.java", source);
        String output = JavaSources.runMain(classes, "QuickStart");
        assertTrue(output.contains("owner=Ada, balance=110]"), output);
        assertTrue(output.contains("3 deposited"), output);
    }
}
