package dev.estoria.facade;

import dev.estoria.async.AsyncEventStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Kotlin type (Function1, Unit, Pair, Continuation, kotlin.time, coroutine types…) appears in a
 * signature a Java caller of this module can see: every public method and constructor of every public class.
 * Kotlin-only conveniences (`asAsync(scope)`) are @JvmSynthetic and thus invisible to Java. The same holds,
 * with listed exceptions, for the plain members of estoria-api and the backends that Java callers use directly.
 */
class JavaSignaturesTest {
    @Test
    void publicSignaturesUseNoKotlinTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        List<String> problems = new ArrayList<>();
        int checkedClasses = scan(AsyncEventStore.class, member -> true, problems);
        assertTrue(checkedClasses >= 10, "only " + checkedClasses + " classes checked");
        assertEquals(List.of(), problems);
    }

    /**
     * Known Kotlin types in plain members of estoria-api and the backends, each with the Java way round it.
     * The test fails on any other offender and on an entry that no longer matches one (a stale entry).
     */
    private static final Map<String, String> KNOWN_DEVIATIONS = Map.ofEntries(
            Map.entry("dev.estoria.aggregate.AggregateBuilder.initial uses kotlin.jvm.functions.Function1",
                    "the Kotlin aggregate {} DSL; Java: AggregateDefinition.builder().initial(InitialState) or JavaAggregates"),
            Map.entry("dev.estoria.aggregatestore.hooks.HookableAggregateStore.<init> uses kotlin.jvm.functions.Function1",
                    "Kotlin DSL constructor; Java: HookableAggregateStore(inner, AggregateHooks)"),
            Map.entry("dev.estoria.codec.KotlinxJsonCodec.<init> uses kotlinx.serialization.KSerializer",
                    "a kotlinx.serialization codec by purpose; Java: JacksonCodec"),
            Map.entry("dev.estoria.codec.KotlinxJsonCodec.<init> uses kotlinx.serialization.json.Json",
                    "a kotlinx.serialization codec by purpose; Java: JacksonCodec"),
            Map.entry("dev.estoria.codec.KotlinxJsonCodec$Companion.getDEFAULT_JSON uses kotlinx.serialization.json.Json",
                    "a kotlinx.serialization codec by purpose; Java: JacksonCodec"),
            Map.entry("dev.estoria.jdbc.JdbcStoreOptions$Builder.dispatcher uses kotlinx.coroutines.CoroutineDispatcher",
                    "Kotlin overload; Java: JdbcStoreOptions.Builder.executor(Executor)"),
            Map.entry("dev.estoria.jdbc.JdbcStoreOptions.getDispatcher uses kotlinx.coroutines.CoroutineDispatcher",
                    "reads back what dispatcher(…) or executor(…) set; Java callers need not read it"),
            Map.entry("dev.estoria.tenancy.MultiTenantEventStore.<init> uses kotlinx.coroutines.CoroutineDispatcher",
                    "Kotlin overload; Java: new MultiTenantEventStore(resolver, factory) runs creation on Dispatchers.IO"),
            Map.entry("dev.estoria.projection.AppendSignal.getSignals uses kotlinx.coroutines.flow.StateFlow",
                    "read by processors; Java writers call signal()"),
            Map.entry("dev.estoria.projection.ProjectionBuilder.onAny uses kotlin.jvm.functions.Function3",
                    "the Kotlin projection {} DSL; Java: JavaProjections.define(…).onAny(JavaEventHandler)"),
            Map.entry("dev.estoria.projection.ProjectionDslKt.projection uses kotlin.jvm.functions.Function1",
                    "the Kotlin projection {} DSL; Java: JavaProjections.define(…) or Projection.builder(…)"),
            Map.entry("dev.estoria.forwarding.Forwarder.getCaughtUp uses kotlinx.coroutines.flow.StateFlow",
                    "Java: AsyncForwarder.halted() / metrics()"),
            Map.entry("dev.estoria.forwarding.Forwarder.getHalted uses kotlinx.coroutines.flow.StateFlow",
                    "Java: AsyncForwarder.halted() / metrics()"),
            Map.entry("dev.estoria.forwarding.Forwarder.getMetrics uses kotlinx.coroutines.flow.StateFlow",
                    "Java: AsyncForwarder.halted() / metrics()"),
            Map.entry("dev.estoria.forwarding.Forwarder.start uses kotlinx.coroutines.CoroutineScope",
                    "structured concurrency in the caller's scope; Java: AsyncForwarder.start()"),
            Map.entry("dev.estoria.forwarding.Forwarder.start uses kotlinx.coroutines.Job",
                    "structured concurrency in the caller's scope; Java: AsyncForwarder.start()"),
            Map.entry("dev.estoria.jdbc.live.BackgroundWorker.start uses kotlinx.coroutines.CoroutineScope",
                    "structured concurrency in the caller's scope; Java: start() and close()"),
            Map.entry("dev.estoria.jdbc.live.BackgroundWorker.start uses kotlinx.coroutines.Job",
                    "structured concurrency in the caller's scope; Java: start() and close()"),
            Map.entry("dev.estoria.jdbc.live.PostgresAppendListener.getBackendPid uses kotlinx.coroutines.flow.StateFlow",
                    "counters for health checks; Java reads them with getValue()"),
            Map.entry("dev.estoria.jdbc.live.PostgresAppendListener.getLastError uses kotlinx.coroutines.flow.StateFlow",
                    "counters for health checks; Java reads them with getValue()"),
            Map.entry("dev.estoria.jdbc.live.PostgresAppendListener.getNotifications uses kotlinx.coroutines.flow.StateFlow",
                    "counters for health checks; Java reads them with getValue()"),
            Map.entry("dev.estoria.jdbc.live.PostgresAppendListener.getSessions uses kotlinx.coroutines.flow.StateFlow",
                    "counters for health checks; Java reads them with getValue()"),
            Map.entry("dev.estoria.jdbc.live.PostgresAppendNotifier.getFailures uses kotlinx.coroutines.flow.StateFlow",
                    "counters for health checks; Java reads them with getValue()"),
            Map.entry("dev.estoria.jdbc.live.PostgresAppendNotifier.getLastError uses kotlinx.coroutines.flow.StateFlow",
                    "counters for health checks; Java reads them with getValue()"),
            Map.entry("dev.estoria.jdbc.live.PostgresAppendNotifier.getSent uses kotlinx.coroutines.flow.StateFlow",
                    "counters for health checks; Java reads them with getValue()"),
            Map.entry("dev.estoria.projection.ProjectionProcessor.getCaughtUp uses kotlinx.coroutines.flow.StateFlow",
                    "Java: AsyncProjectionProcessor.caughtUp() (a future) or isCaughtUp()"),
            Map.entry("dev.estoria.projection.ProjectionProcessor.getOwnedPartitions uses kotlinx.coroutines.flow.StateFlow",
                    "Java: AsyncProjectionProcessor.ownedPartitions()"),
            Map.entry("dev.estoria.projection.ProjectionProcessor.getPosition uses kotlinx.coroutines.flow.StateFlow",
                    "Java: AsyncProjectionProcessor.position() or awaitPosition(p)"),
            Map.entry("dev.estoria.projection.ProjectionProcessor.start uses kotlinx.coroutines.CoroutineScope",
                    "structured concurrency in the caller's scope; Java: AsyncProjectionProcessor.start()"),
            Map.entry("dev.estoria.projection.ProjectionProcessor.start uses kotlinx.coroutines.Job",
                    "Java: AsyncProjectionProcessor.completion()"));

    /**
     * The Java-visible surface of estoria-api, estoria-jdbc and estoria-cache: their plain members (see
     * [isPlainMember]) use Java types only, except the [KNOWN_DEVIATIONS]. Catches e.g. a kotlin.random.Random
     * parameter in RetryPolicy.delayMillisBefore.
     */
    @Test
    void kotlinModulesPlainMembersUseNoKotlinTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        List<String> problems = new ArrayList<>();
        for (Class<?> anchor : List.of(dev.estoria.id.TypeId.class, dev.estoria.jdbc.JdbcStoreOptions.class,
                dev.estoria.cache.caffeine.CaffeineAggregateCache.class)) {
            int checked = scan(anchor, JavaSignaturesTest::isPlainMember, problems);
            assertTrue(checked >= 5, "only " + checked + " classes checked beside " + anchor.getName());
        }
        Set<String> found = new TreeSet<>(problems);
        Set<String> unexpected = new TreeSet<>(found);
        unexpected.removeAll(KNOWN_DEVIATIONS.keySet());
        Set<String> stale = new TreeSet<>(KNOWN_DEVIATIONS.keySet());
        stale.removeAll(found);
        assertEquals(Set.of(), unexpected, "Kotlin types in Java-visible signatures");
        assertEquals(Set.of(), stale, "stale KNOWN_DEVIATIONS entries (fixed: remove them)");
    }

    /**
     * Adds to [problems] each public member of the Java-visible classes in [anchor]'s jar (or class
     * directory) that [applies] selects and that names a Kotlin type; returns how many classes it checked.
     */
    private int scan(Class<?> anchor, Predicate<Executable> applies, List<String> problems)
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        // A reactor module is a class directory in `test`, its jar in `verify`.
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
            return scan(jar == null ? location : jar.getPath("/"), applies, problems);
        }
    }

    private int scan(Path classes, Predicate<Executable> applies, List<String> problems) throws IOException, ClassNotFoundException {
        int checkedClasses = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.endsWith("module-info")) continue;
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (!isJavaVisible(type)) continue;
                checkedClasses++;
                List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
                members.addAll(List.of(type.getDeclaredConstructors()));
                for (Executable member : members) {
                    if (!Modifier.isPublic(member.getModifiers()) || member.isSynthetic() || !applies.test(member)) continue;
                    List<Type> types = new ArrayList<>(List.of(member.getGenericParameterTypes()));
                    if (member instanceof Method m) types.add(m.getGenericReturnType());
                    for (Type t : types) {
                        String kotlin = kotlinTypeIn(t);
                        String memberName = member instanceof Constructor<?> ? "<init>" : member.getName();
                        if (kotlin != null) problems.add(type.getName() + "." + memberName + " uses " + kotlin);
                    }
                }
            }
        }
        return checkedClasses;
    }

    /**
     * A member a Java caller calls as is: not a suspend function (its last parameter a Continuation: Java
     * callers use the facade's Async* types) and not name-mangled for an inline-class parameter (Java
     * cannot call those).
     */
    private static boolean isPlainMember(Executable member) {
        // Inline-class parameters mangle the name (f-abc12); internal members are public in byte code as f$module.
        if (member.getName().contains("-") || member.getName().contains("$")) return false;
        Class<?>[] parameters = member.getParameterTypes();
        if (parameters.length > 0 && parameters[parameters.length - 1].getName().equals("kotlin.coroutines.Continuation")) return false;
        if (member instanceof Method m) {
            // Flow-returning reads are the Kotlin streaming API; Java reads through AsyncStreamReader / AsyncGlobalReader.
            if (m.getReturnType().getName().equals("kotlinx.coroutines.flow.Flow")) return false;
            // The compiler's enum `entries`; Java uses values().
            if (m.getDeclaringClass().isEnum() && m.getName().equals("getEntries")) return false;
        }
        return true;
    }

    private static boolean isJavaVisible(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || !Modifier.isPublic(type.getModifiers())) return false;
        if (type.getPackageName().contains(".internal")) return false;
        for (Class<?> outer = type.getDeclaringClass(); outer != null; outer = outer.getDeclaringClass()) {
            if (!Modifier.isPublic(outer.getModifiers())) return false;
        }
        return true;
    }

    private static String kotlinTypeIn(Type type) {
        if (type instanceof Class<?> c) {
            if (c.isArray()) return kotlinTypeIn(c.getComponentType());
            String n = c.getName();
            return n.startsWith("kotlin.") || n.startsWith("kotlinx.") ? n : null;
        }
        if (type instanceof ParameterizedType p) {
            String raw = kotlinTypeIn(p.getRawType());
            if (raw != null) return raw;
            for (Type arg : p.getActualTypeArguments()) {
                String found = kotlinTypeIn(arg);
                if (found != null) return found;
            }
            return null;
        }
        if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) { String f = kotlinTypeIn(b); if (f != null) return f; }
            for (Type b : w.getLowerBounds()) { String f = kotlinTypeIn(b); if (f != null) return f; }
            return null;
        }
        if (type instanceof GenericArrayType g) return kotlinTypeIn(g.getGenericComponentType());
        if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) { String f = kotlinTypeIn(b); if (f != null) return f; }
        }
        return null;
    }
}
