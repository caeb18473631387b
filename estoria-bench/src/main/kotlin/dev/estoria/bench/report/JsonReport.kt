package dev.estoria.bench.report

import dev.estoria.bench.scenario.Spread
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObjectBuilder
import kotlinx.serialization.json.add
import kotlinx.serialization.json.addJsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonArray
import kotlinx.serialization.json.putJsonObject

/** The run as JSON (`results.json`): every figure with its median, min and max. */
object JsonReport {
    private val json = Json { prettyPrint = true }

    fun render(run: RunResult): String = json.encodeToString(JsonElement.serializer(), tree(run))

    private fun JsonObjectBuilder.spread(key: String, s: Spread) = putJsonObject(key) {
        put("median", s.median); put("min", s.min); put("max", s.max)
    }

    private fun tree(run: RunResult) = buildJsonObject {
        put("profile", run.profile)
        putJsonArray("variants") { run.variants.forEach { add(it) } }
        put("startedAt", run.startedAt)
        putJsonObject("backends") { run.backends.forEach { (k, v) -> put(k, v) } }
        putJsonObject("skipped") { run.skipped.forEach { (k, v) -> put(k, v) } }
        put("postgresVersion", run.postgresVersion)
        putJsonObject("machine") {
            val n = run.noise
            put("wallSeconds", n.wallSeconds); put("machineCores", n.machineCores); put("benchCores", n.benchCores)
            put("serverCores", n.serverCores); put("otherCores", n.otherCores); put("loadAverage", n.loadAverage)
            put("cores", n.cores); put("jdk", n.jdk)
        }
        putJsonArray("throughput") {
            for (r in run.throughput) addJsonObject {
                put("backend", r.backend); put("scenario", r.scenario); put("title", r.title); put("caller", r.caller); put("appends", r.appends)
                putJsonObject("roles") {
                    for (f in r.roles) putJsonObject(f.role) { spread("eventsPerSecond", f.rate); spread("cpuMicrosPerEvent", f.cpuMicrosPerEvent); f.serverCpuMicrosPerEvent?.let { spread("serverCpuMicrosPerEvent", it) } }
                }
                putJsonObject("ratios") { r.ratios.forEach { (k, v) -> spread("store/$k", v) } }
            }
        }
        putJsonArray("aggregates") {
            for (a in run.aggregates) addJsonObject {
                put("backend", a.backend); put("mode", a.mode); put("length", a.length); spread("millis", a.millis); put("vsReplay", a.vsReplay)
            }
        }
        putJsonArray("latency") {
            for (l in run.latency) addJsonObject {
                put("backend", l.backend); put("wake", l.wake); put("events", l.events); put("p50Millis", l.p50); put("p99Millis", l.p99); put("maxMillis", l.max)
            }
        }
    }
}
