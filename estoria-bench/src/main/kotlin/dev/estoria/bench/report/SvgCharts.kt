package dev.estoria.bench.report

import kotlin.math.log10
import kotlin.math.pow

/**
 * The run's charts, written as plain SVG (no plotting dependency): the store's throughput as a fraction
 * of each baseline per scenario (bars, a line at 1.0), and aggregate load time against stream length
 * (log–log, one panel per backend, one line per mode).
 */
object SvgCharts {
    private const val FONT = "font-family=\"sans-serif\" font-size=\"11\""
    private val baselineColours = mapOf("raw" to "#3b6fb6", "axon" to "#d9822b")
    private val modeColours = listOf("#555555", "#2a9d4b", "#b6303b", "#2b5fb4")

    private fun esc(s: String) = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    fun throughput(run: RunResult): String {
        val rows = run.throughput
        val label = 430
        val plot = 420
        val rowH = 16
        val top = 40
        val maxRatio = maxOf(1.5, rows.flatMap { r -> r.ratios.values.map { it.max } }.maxOrNull() ?: 1.0).coerceAtMost(4.0)
        val height = top + rows.size * rowH + 40
        fun x(v: Double) = label + (v.coerceAtMost(maxRatio) / maxRatio * plot)
        return buildString {
            append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"${label + plot + 30}\" height=\"$height\" viewBox=\"0 0 ${label + plot + 30} $height\">\n")
            append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
            append("<text x=\"10\" y=\"18\" $FONT font-size=\"13\" font-weight=\"bold\">Store throughput / baseline (median, whiskers min–max; profile ${esc(run.profile)})</text>\n")
            baselineColours.entries.forEachIndexed { i, (role, colour) ->
                append("<rect x=\"${10 + i * 110}\" y=\"26\" width=\"10\" height=\"8\" fill=\"$colour\"/><text x=\"${24 + i * 110}\" y=\"34\" $FONT>store / $role</text>\n")
            }
            var tick = 0.0
            while (tick <= maxRatio + 1e-9) {
                val tx = x(tick)
                append("<line x1=\"$tx\" y1=\"$top\" x2=\"$tx\" y2=\"${top + rows.size * rowH}\" stroke=\"${if (tick == 1.0) "#000" else "#ddd"}\"/>")
                append("<text x=\"$tx\" y=\"${top + rows.size * rowH + 14}\" $FONT text-anchor=\"middle\">${"%.1f".format(tick)}</text>\n")
                tick += 0.5
            }
            rows.forEachIndexed { i, r ->
                val y = top + i * rowH
                append("<text x=\"${label - 6}\" y=\"${y + 11}\" $FONT text-anchor=\"end\">${esc("${r.backend} · ${r.title} · ${r.caller}")}</text>")
                val bars = r.ratios.entries.toList()
                val barH = (rowH - 4) / maxOf(1, bars.size)
                bars.forEachIndexed { j, (role, s) ->
                    val by = y + 2 + j * barH
                    append("<rect x=\"$label\" y=\"$by\" width=\"${x(s.median) - label}\" height=\"$barH\" fill=\"${baselineColours[role] ?: "#888"}\"/>")
                    append("<line x1=\"${x(s.min)}\" y1=\"${by + barH / 2.0}\" x2=\"${x(s.max)}\" y2=\"${by + barH / 2.0}\" stroke=\"#222\"/>")
                }
                append("\n")
            }
            append("<text x=\"$label\" y=\"${height - 8}\" $FONT>ratio (1.0 = as fast as the baseline; bars cut at ${"%.1f".format(maxRatio)})</text>\n")
            append("</svg>\n")
        }
    }

    fun aggregateLoads(run: RunResult): String {
        val byBackend = run.aggregates.groupBy { it.backend }
        val panelW = 260
        val panelH = 200
        val left = 50
        val top = 50
        val width = left + byBackend.size * (panelW + 30) + 10
        val height = top + panelH + 50
        val lengths = run.aggregates.map { it.length }.distinct().sorted()
        val all = run.aggregates.map { it.millis.median }.filter { it > 0 }
        val lo = floor10(all.minOrNull() ?: 0.01)
        val hi = ceil10(all.maxOrNull() ?: 1000.0)
        val modes = run.aggregates.map { it.mode }.distinct()
        return buildString {
            append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"$width\" height=\"$height\" viewBox=\"0 0 $width $height\">\n")
            append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
            append("<text x=\"10\" y=\"18\" $FONT font-size=\"13\" font-weight=\"bold\">Aggregate load time (ms, log) against stream length (events, log); profile ${esc(run.profile)}</text>\n")
            modes.forEachIndexed { i, m ->
                append("<rect x=\"${10 + i * 170}\" y=\"26\" width=\"10\" height=\"8\" fill=\"${modeColours[i % modeColours.size]}\"/><text x=\"${24 + i * 170}\" y=\"34\" $FONT>${esc(m)}</text>\n")
            }
            byBackend.entries.forEachIndexed { p, (backend, rows) ->
                val ox = left + p * (panelW + 30)
                fun px(len: Int) = ox + if (lengths.size < 2) panelW / 2.0 else (log10(len.toDouble()) - log10(lengths.first().toDouble())) / (log10(lengths.last().toDouble()) - log10(lengths.first().toDouble())) * panelW
                fun py(ms: Double) = top + panelH - (log10(ms.coerceAtLeast(lo)) - log10(lo)) / (log10(hi) - log10(lo)) * panelH
                append("<rect x=\"$ox\" y=\"$top\" width=\"$panelW\" height=\"$panelH\" fill=\"none\" stroke=\"#999\"/>")
                append("<text x=\"${ox + panelW / 2}\" y=\"${top - 6}\" $FONT text-anchor=\"middle\" font-weight=\"bold\">${esc(backend)}</text>\n")
                var d = lo
                while (d <= hi * 1.0001) {
                    append("<line x1=\"$ox\" y1=\"${py(d)}\" x2=\"${ox + panelW}\" y2=\"${py(d)}\" stroke=\"#eee\"/>")
                    if (p == 0) append("<text x=\"${ox - 4}\" y=\"${py(d) + 4}\" $FONT text-anchor=\"end\">${fmt(d)}</text>")
                    d *= 10
                }
                for (len in lengths) append("<text x=\"${px(len)}\" y=\"${top + panelH + 14}\" $FONT text-anchor=\"middle\">${"%,d".format(len)}</text>")
                modes.forEachIndexed { i, m ->
                    val pts = rows.filter { it.mode == m }.sortedBy { it.length }
                    val colour = modeColours[i % modeColours.size]
                    append("<polyline fill=\"none\" stroke=\"$colour\" stroke-width=\"2\" points=\"${pts.joinToString(" ") { "%.1f,%.1f".format(px(it.length), py(it.millis.median)) }}\"/>")
                    for (pt in pts) append("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"$colour\"/>".format(px(pt.length), py(pt.millis.median)))
                }
                append("\n")
            }
            append("</svg>\n")
        }
    }

    private fun floor10(v: Double) = 10.0.pow(kotlin.math.floor(log10(v)))
    private fun ceil10(v: Double) = 10.0.pow(kotlin.math.ceil(log10(v)))
    private fun fmt(v: Double) = if (v >= 1) "%,.0f".format(v) else "%.3f".format(v).trimEnd('0')
}
