package dev.estoria.testkit.donothing

import dev.estoria.testkit.eventstore.EventStoreSuite
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import org.junit.platform.engine.TestExecutionResult
import org.junit.platform.engine.discovery.DiscoverySelectors.selectClass
import org.junit.platform.launcher.TestExecutionListener
import org.junit.platform.launcher.TestIdentifier
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder
import org.junit.platform.launcher.core.LauncherFactory
import java.nio.file.FileSystems
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import kotlin.io.path.extension
import kotlin.io.path.readBytes
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * A store that accepts every call and stores nothing must fail every clause of every suite:
 * a clause it passes is a clause that cannot catch a broken backend, and a clause that is skipped or
 * aborted checks nothing at all. The kit's compiled suites must not contain a skip mechanism.
 */
class DoNothingFailsEverySuiteTest {
    @ParameterizedTest
    @ValueSource(
        classes = [
            DoNothingEventStoreClauses::class, DoNothingLimitedEventStoreClauses::class, DoNothingGlobalReaderClauses::class, DoNothingStreamDeleterClauses::class, DoNothingDeletedEventsGlobalOrderClauses::class,
            DoNothingSnapshotStoreClauses::class, DoNothingCacheClauses::class, DoNothingCheckpointClauses::class,
            DoNothingAggregateStoreClauses::class, DoNothingLayersClauses::class, DoNothingLeaseClauses::class, DoNothingProjectionClauses::class, DoNothingForwarderClauses::class, DoNothingPartitionClauses::class,
        ],
    )
    fun `a do-nothing store fails every clause`(suite: Class<*>) {
        val passed = ArrayList<String>()
        val failed = ArrayList<String>()
        val notRun = ArrayList<String>()
        val listener = object : TestExecutionListener {
            override fun executionSkipped(id: TestIdentifier, reason: String) {
                notRun += "${id.displayName} (skipped: $reason)"
            }

            override fun executionFinished(id: TestIdentifier, result: TestExecutionResult) {
                if (!id.isTest) return
                when (result.status) {
                    TestExecutionResult.Status.SUCCESSFUL -> passed += id.displayName
                    TestExecutionResult.Status.FAILED -> failed += id.displayName
                    else -> notRun += "${id.displayName} (aborted: ${result.throwable.map { it.message }.orElse("")})"
                }
            }
        }
        val request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build()
        LauncherFactory.create().execute(request, listener)
        assertTrue(failed.isNotEmpty(), "no clause of ${suite.simpleName} ran")
        assertTrue(passed.isEmpty(), "${suite.simpleName}: a do-nothing store passes $passed")
        assertTrue(notRun.isEmpty(), "${suite.simpleName}: clauses that checked nothing: $notRun")
    }

    @Test
    fun `the compiled suites contain no skip mechanism`() {
        val offenders = suiteClassFiles().mapNotNull { (name, bytes) ->
            val text = String(bytes, Charsets.ISO_8859_1)
            SKIP_MECHANISMS.filter { text.contains(it) }.takeIf { it.isNotEmpty() }?.let { "$name uses $it" }
        }
        assertEquals(emptyList(), offenders)
    }

    /** Every class file of the kit's main code (a directory in the reactor, a jar elsewhere). */
    private fun suiteClassFiles(): List<Pair<String, ByteArray>> {
        val resource = EventStoreSuite::class.java.getResource("EventStoreSuite.class") ?: error("EventStoreSuite.class not found")
        val uri = resource.toURI()
        val root: Path = if (uri.scheme == "jar") {
            FileSystems.newFileSystem(uri, emptyMap<String, Any>()).getPath("/dev/estoria/testkit")
        } else {
            Paths.get(uri).parent.parent
        }
        val files = Files.walk(root).use { paths -> paths.filter { it.extension == "class" }.toList() }
        assertTrue(files.size > 20, "found the kit's classes under $root")
        return files.map { it.toString() to it.readBytes() }
    }

    private companion object {
        /** Constant-pool names of JUnit's and kotlin.test's ways to skip or abort a test. */
        val SKIP_MECHANISMS = listOf(
            "org/junit/jupiter/api/Assumptions",
            "org/junit/jupiter/api/Disabled",
            "org/junit/jupiter/api/condition/",
            "org/opentest4j/TestAbortedException",
            "org/junit/Assume",
            "org/junit/Ignore",
        )
    }
}
