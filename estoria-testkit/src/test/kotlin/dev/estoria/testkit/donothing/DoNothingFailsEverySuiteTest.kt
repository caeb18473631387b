package dev.estoria.testkit.donothing

import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import org.junit.platform.engine.discovery.DiscoverySelectors.selectClass
import org.junit.platform.launcher.TestExecutionListener
import org.junit.platform.launcher.TestIdentifier
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder
import org.junit.platform.launcher.core.LauncherFactory
import org.junit.platform.engine.TestExecutionResult
import kotlin.test.assertTrue

/**
 * A store that accepts every call and stores nothing must fail every clause of every suite:
 * a clause it passes is a clause that cannot catch a broken backend.
 */
class DoNothingFailsEverySuiteTest {
    @ParameterizedTest
    @ValueSource(
        classes = [
            DoNothingEventStoreClauses::class, DoNothingLimitedEventStoreClauses::class, DoNothingGlobalReaderClauses::class, DoNothingStreamDeleterClauses::class,
            DoNothingSnapshotStoreClauses::class, DoNothingCacheClauses::class, DoNothingCheckpointClauses::class,
            DoNothingAggregateStoreClauses::class, DoNothingLayersClauses::class,
        ],
    )
    fun `a do-nothing store fails every clause`(suite: Class<*>) {
        val passed = ArrayList<String>()
        val failed = ArrayList<String>()
        val listener = object : TestExecutionListener {
            override fun executionFinished(id: TestIdentifier, result: TestExecutionResult) {
                if (!id.isTest) return
                if (result.status == TestExecutionResult.Status.SUCCESSFUL) passed += id.displayName else failed += id.displayName
            }
        }
        val request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build()
        LauncherFactory.create().execute(request, listener)
        assertTrue(failed.isNotEmpty(), "no clause of ${suite.simpleName} ran")
        assertTrue(passed.isEmpty(), "${suite.simpleName}: a do-nothing store passes $passed")
    }
}
