package dev.estoria.cache.caffeine

import org.junit.jupiter.api.Test
import java.io.File
import java.net.URLClassLoader
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * Lettuce, Netty, Reactor and kotlinx-coroutines-reactive are optional dependencies of estoria-cache:
 * an application that only uses [CaffeineAggregateCache] adds Caffeine and nothing of Redis'. These
 * checks keep that true: no class the Caffeine cache reaches references a Redis-side type, and the
 * cache works on a class path without those jars.
 */
class CaffeineOnlyClassPathTest {
    /** Package prefixes (internal names) of the Redis side's optional jars. */
    private val redisSide = listOf("io/lettuce/", "io/netty/", "reactor/", "org/reactivestreams/", "kotlinx/coroutines/reactive/")

    private val mainClasses = File(CaffeineAggregateCache::class.java.protectionDomain.codeSource.location.toURI())

    @Test
    fun `no class reachable from the Caffeine cache references Lettuce, Netty, Reactor or the reactive bridge`() {
        val offenders = redisReferences("dev/estoria/cache/caffeine/CaffeineAggregateCache")
        assertTrue(offenders.isEmpty(), "Caffeine classes reference Redis-side types: $offenders")
    }

    @Test
    fun `the scan finds the Redis cache's Lettuce references (so it can fail)`() {
        val found = redisReferences("dev/estoria/cache/redis/RedisAggregateCache").values.flatten()
        assertTrue(found.any { it.startsWith("io/lettuce/") }, "found: $found")
    }

    @Test
    fun `a Caffeine cache is built and used on a class path without the Redis-side jars`() {
        val classPath = (System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path"))
            .split(File.pathSeparator)
            .filter { it.isNotBlank() }
            .filterNot { entry -> listOf("lettuce", "netty", "reactor-core", "reactive-streams", "coroutines-reactive").any { it in entry } }
        URLClassLoader(classPath.map { File(it).toURI().toURL() }.toTypedArray(), ClassLoader.getPlatformClassLoader()).use { loader ->
            assertFailsWith<ClassNotFoundException> { Class.forName("io.lettuce.core.RedisClient", false, loader) }
            val cacheClass = Class.forName(CaffeineAggregateCache::class.java.name, true, loader)
            val cache = cacheClass.getMethod("create", Long::class.javaPrimitiveType).invoke(null, 10L)
            cacheClass.getMethod("invalidateAll").invoke(cache)
            cacheClass.getMethod("cleanUp").invoke(cache)
            assertEquals(0L, cacheClass.getMethod("estimatedSize").invoke(cache))
            cacheClass.getMethod("stats").invoke(cache)
        }
    }

    /**
     * The Redis-side type references of [root] and of every estoria-cache class it reaches, by class
     * (the internal names in each class file's constant pool).
     */
    private fun redisReferences(root: String): Map<String, List<String>> {
        val seen = mutableSetOf<String>()
        val pending = ArrayDeque(listOf(root))
        val offenders = mutableMapOf<String, List<String>>()
        while (pending.isNotEmpty()) {
            val name = pending.removeFirst()
            if (!seen.add(name)) continue
            val file = File(mainClasses, "$name.class")
            if (!file.isFile) continue // estoria-api, Caffeine or the JDK: none of them depends on Redis
            val text = String(file.readBytes(), Charsets.ISO_8859_1)
            val names = Regex("""[A-Za-z_][A-Za-z0-9_$]*(/[A-Za-z_$][A-Za-z0-9_$]*)+""").findAll(text)
                .map { it.value }
                // in descriptors a type is written Lpackage/Name; (packages are lower case)
                .map { if (it.length > 1 && it[0] == 'L' && it[1].isLowerCase()) it.substring(1) else it }
                .toSet()
            names.filter { it.startsWith("dev/estoria/cache/") }.forEach { pending.addLast(it) }
            names.filter { n -> redisSide.any { n.startsWith(it) } }.takeIf { it.isNotEmpty() }?.let { offenders[name] = it }
        }
        return offenders
    }
}
