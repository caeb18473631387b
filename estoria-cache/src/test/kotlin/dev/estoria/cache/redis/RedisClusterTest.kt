package dev.estoria.cache.redis

import dev.estoria.cache.AggregateCache
import dev.estoria.snapshot.SnapshotStore
import dev.estoria.testkit.TckCounter
import dev.estoria.testkit.cache.AggregateCacheSuite
import dev.estoria.testkit.servers.redis.EmbeddedRedisCluster
import dev.estoria.testkit.snapshot.SnapshotStoreSuite
import io.lettuce.core.RedisURI
import io.lettuce.core.cluster.RedisClusterClient
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection
import io.lettuce.core.codec.ByteArrayCodec

/** One cluster client per JVM to a real 3-master embedded Redis Cluster. */
object RedisClusterSupport {
    val connection: StatefulRedisClusterConnection<ByteArray, ByteArray> by lazy {
        val client = RedisClusterClient.create(RedisURI.create(EmbeddedRedisCluster.seedUrl()))
        Runtime.getRuntime().addShutdownHook(Thread { client.shutdown() })
        client.connect(ByteArrayCodec.INSTANCE)
    }
}

class RedisClusterAggregateCacheTest : AggregateCacheSuite() {
    override fun cache(): AggregateCache<TckCounter> = RedisAggregateCache(RedisClusterSupport.connection, TckCounter.codec, RedisTestSupport.cacheOptions)
}

class RedisClusterSnapshotStoreTest : SnapshotStoreSuite() {
    override fun snapshotStore(keepLast: Int?): SnapshotStore =
        RedisSnapshotStore(RedisClusterSupport.connection, RedisSnapshotStoreOptions.builder().keepLast(keepLast).build())
}

class RedisClusterLayoutTest {
    @org.junit.jupiter.api.Test
    fun `the cluster has three masters and one aggregate's keys share a slot across prefixes`() {
        val connection = RedisClusterSupport.connection
        kotlin.test.assertEquals(3, connection.partitions.size)
        val id = dev.estoria.id.TypeId.new(TckCounter.TYPE)
        val cacheSlot = io.lettuce.core.cluster.SlotHash.getSlot("${RedisCacheOptions.DEFAULT_KEY_PREFIX}{$id}")
        val snapshotSlot = io.lettuce.core.cluster.SlotHash.getSlot("${RedisSnapshotStoreOptions.DEFAULT_KEY_PREFIX}{$id}")
        kotlin.test.assertEquals(cacheSlot, snapshotSlot)
        kotlin.test.assertEquals(io.lettuce.core.cluster.SlotHash.getSlot(id.toString()), cacheSlot)
    }
}
