package dev.estoria.facade;

import dev.estoria.aggregatestore.AggregateStore;
import dev.estoria.aggregatestore.UpdateKt;
import dev.estoria.async.AsyncAggregateCache;
import dev.estoria.async.AsyncAggregateStore;
import dev.estoria.async.AsyncCheckpointStore;
import dev.estoria.async.AsyncEventStore;
import dev.estoria.async.AsyncGlobalReader;
import dev.estoria.async.AsyncSnapshotStore;
import dev.estoria.async.AsyncStreamDeleter;
import dev.estoria.async.AsyncStreamReader;
import dev.estoria.async.AsyncStreamWriter;
import dev.estoria.cache.AggregateCache;
import dev.estoria.eventstore.EventStore;
import dev.estoria.eventstore.GlobalReader;
import dev.estoria.eventstore.StreamDeleter;
import dev.estoria.eventstore.StreamReader;
import dev.estoria.eventstore.StreamWriter;
import dev.estoria.projection.CheckpointStore;
import dev.estoria.snapshot.SnapshotStore;
import kotlin.Unit;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.reflect.KClass;
import kotlin.reflect.KFunction;
import kotlin.reflect.KParameter;
import kotlin.reflect.KProperty1;
import kotlin.reflect.KType;
import kotlin.reflect.KVisibility;
import kotlin.reflect.full.KClasses;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity between the Kotlin API and the Java facade, in the style of Lettuce's API parity tests: every
 * public function of the Kotlin stores (and the `update`/`upsert` helpers) has an async twin of the same
 * name; a suspend function returns a CompletableFuture (Unit → Void, a nullable T → Optional/OptionalLong),
 * a Flow returns a Flow.Publisher; every optional Kotlin parameter is an overload without it; nullable
 * numbers become primitives. Deliberate deviations are listed in {@link #DEVIATIONS}, and an entry that no
 * longer deviates (or names nothing) fails the test, so the registry cannot rot.
 */
class ParityTest {
    /** Kotlin interface → its Java twin. */
    private static final Map<Class<?>, Class<?>> TWINS = new LinkedHashMap<>();

    static {
        TWINS.put(StreamReader.class, AsyncStreamReader.class);
        TWINS.put(StreamWriter.class, AsyncStreamWriter.class);
        TWINS.put(EventStore.class, AsyncEventStore.class);
        TWINS.put(GlobalReader.class, AsyncGlobalReader.class);
        TWINS.put(StreamDeleter.class, AsyncStreamDeleter.class);
        TWINS.put(AggregateStore.class, AsyncAggregateStore.class);
        TWINS.put(SnapshotStore.class, AsyncSnapshotStore.class);
        TWINS.put(AggregateCache.class, AsyncAggregateCache.class);
        TWINS.put(CheckpointStore.class, AsyncCheckpointStore.class);
    }

    /** Top-level Kotlin files whose public extension functions on a twinned interface need twins too. */
    private static final List<Class<?>> EXTENSION_FILES = List.of(UpdateKt.class);

    /** Deliberate deviations: "Interface.function" → the twin's name, with the reason. */
    private static final Map<String, Deviation> DEVIATIONS = Map.of(
        "AggregateStore.new", new Deviation("create", "`new` is a keyword in Java")
    );

    record Deviation(String twinName, String reason) {}

    private final List<String> problems = new ArrayList<>();
    private final Set<String> checked = new TreeSet<>();

    @Test
    void everyKotlinFunctionHasAnAsyncTwin() {
        for (Map.Entry<Class<?>, Class<?>> twin : TWINS.entrySet()) {
            KClass<?> kotlin = JvmClassMappingKt.getKotlinClass(twin.getKey());
            for (KFunction<?> function : KClasses.getDeclaredMemberFunctions(kotlin)) {
                if (function.getVisibility() == KVisibility.PUBLIC) check(twin.getKey().getSimpleName(), function, twin.getValue(), false);
            }
            for (KProperty1<?, ?> property : KClasses.getDeclaredMemberProperties(kotlin)) {
                checkProperty(twin.getKey(), property, twin.getValue());
            }
            for (Class<?> parent : twin.getKey().getInterfaces()) {
                Class<?> parentTwin = TWINS.get(parent);
                if (parentTwin != null && !parentTwin.isAssignableFrom(twin.getValue())) {
                    problems.add(twin.getValue().getSimpleName() + " must extend " + parentTwin.getSimpleName()
                        + " as " + twin.getKey().getSimpleName() + " extends " + parent.getSimpleName());
                }
            }
        }
        for (Class<?> file : EXTENSION_FILES) {
            for (Method method : file.getDeclaredMethods()) {
                if (!Modifier.isPublic(method.getModifiers()) || method.isSynthetic()) continue;
                KFunction<?> function = ReflectJvmMapping.getKotlinFunction(method);
                if (function == null) continue;
                KParameter receiver = function.getParameters().get(0);
                Class<?> receiverClass = rawClass(ReflectJvmMapping.getJavaType(receiver.getType()));
                Class<?> twin = TWINS.get(receiverClass);
                if (receiver.getKind() == KParameter.Kind.EXTENSION_RECEIVER && twin != null) {
                    check(receiverClass.getSimpleName(), function, twin, true);
                }
            }
        }
        assertTrue(checked.size() >= 14, "checked too few functions: " + checked);
        assertEquals(List.of(), problems, "parity problems");
    }

    @Test
    void optionalCapabilitiesAreViewsOfTheEventStoreTwin() throws Exception {
        assertEquals(Optional.class, AsyncEventStore.class.getMethod("globalReader").getReturnType());
        assertEquals(AsyncGlobalReader.class, typeArgument(AsyncEventStore.class.getMethod("globalReader").getGenericReturnType()));
        assertEquals(AsyncStreamDeleter.class, typeArgument(AsyncEventStore.class.getMethod("streamDeleter").getGenericReturnType()));
    }

    @Test
    void theDeviationRegistryHasNoStaleEntries() {
        for (Map.Entry<String, Deviation> entry : DEVIATIONS.entrySet()) {
            String[] parts = entry.getKey().split("\\.");
            Class<?> kotlinInterface = TWINS.keySet().stream().filter(c -> c.getSimpleName().equals(parts[0])).findFirst()
                .orElseThrow(() -> new AssertionError("deviation " + entry.getKey() + " names no twinned interface"));
            KFunction<?> function = KClasses.getDeclaredMemberFunctions(JvmClassMappingKt.getKotlinClass(kotlinInterface)).stream()
                .filter(f -> f.getName().equals(parts[1])).findFirst()
                .orElseThrow(() -> new AssertionError("stale deviation " + entry.getKey() + ": no such Kotlin function"));
            Class<?> twin = TWINS.get(kotlinInterface);
            boolean defaultNameExists = Arrays.stream(twin.getMethods()).anyMatch(m -> m.getName().equals(function.getName()));
            assertTrue(!defaultNameExists, "stale deviation " + entry.getKey() + ": " + twin.getSimpleName() + " has a twin under the Kotlin name");
            assertTrue(Arrays.stream(twin.getMethods()).anyMatch(m -> m.getName().equals(entry.getValue().twinName())),
                "deviation " + entry.getKey() + " points at missing " + twin.getSimpleName() + "." + entry.getValue().twinName());
        }
    }

    private void check(String owner, KFunction<?> function, Class<?> twin, boolean extension) {
        String key = owner + "." + function.getName();
        checked.add(key);
        Deviation deviation = DEVIATIONS.get(key);
        String name = deviation == null ? function.getName() : deviation.twinName();
        List<KParameter> values = function.getParameters().stream().filter(p -> p.getKind() == KParameter.Kind.VALUE).toList();
        List<KParameter> required = values.stream().filter(p -> !p.isOptional()).toList();
        List<KParameter> optional = values.stream().filter(KParameter::isOptional).toList();
        // all required parameters plus each prefix of the optional ones, in declaration order
        for (int k = 0; k <= optional.size(); k++) {
            Set<KParameter> included = new java.util.HashSet<>(required);
            included.addAll(optional.subList(0, k));
            List<KParameter> expected = values.stream().filter(included::contains).toList();
            Method match = findTwin(twin, name, expected);
            if (match == null) {
                problems.add(twin.getSimpleName() + " lacks " + name + describe(expected) + " (twin of " + key + ")");
            } else {
                String returnProblem = returnProblem(function, match);
                if (returnProblem != null) problems.add(twin.getSimpleName() + "." + name + describe(expected) + ": " + returnProblem);
            }
        }
    }

    private void checkProperty(Class<?> owner, KProperty1<?, ?> property, Class<?> twin) {
        checked.add(owner.getSimpleName() + "." + property.getName());
        Method getter = ReflectJvmMapping.getJavaGetter(property);
        try {
            Method twinGetter = twin.getMethod(getter.getName());
            if (twinGetter.getReturnType() != getter.getReturnType()) problems.add(twin.getSimpleName() + "." + getter.getName() + " returns another type");
        } catch (NoSuchMethodException e) {
            problems.add(twin.getSimpleName() + " lacks " + getter.getName() + "() (twin of property " + owner.getSimpleName() + "." + property.getName() + ")");
        }
    }

    private static Method findTwin(Class<?> twin, String name, List<KParameter> expected) {
        for (Method method : twin.getMethods()) {
            if (!method.getName().equals(name) || method.getParameterCount() != expected.size()) continue;
            boolean all = true;
            for (int i = 0; i < expected.size(); i++) {
                if (!parameterMatches(expected.get(i).getType(), method.getParameterTypes()[i])) all = false;
            }
            if (all) return method;
        }
        return null;
    }

    private static boolean parameterMatches(KType kotlin, Class<?> java) {
        if (isFunctionType(kotlin)) {
            // a Kotlin lambda becomes a java.util.function type or a @FunctionalInterface, never kotlin.jvm.functions
            return java.isInterface() && !java.getName().startsWith("kotlin.")
                && (java.getPackageName().equals("java.util.function") || java.isAnnotationPresent(FunctionalInterface.class));
        }
        Class<?> expected = rawClass(ReflectJvmMapping.getJavaType(kotlin));
        if (expected == java) return true;
        // a nullable number (default null) is a primitive in the overload that has it
        return kotlin.isMarkedNullable() && java.isPrimitive() && boxed(java) == expected;
    }

    private static String returnProblem(KFunction<?> function, Method twin) {
        KType returnType = function.getReturnType();
        Class<?> kotlinReturn = classifier(returnType);
        Type twinReturn = twin.getGenericReturnType();
        if (kotlinReturn == kotlinx.coroutines.flow.Flow.class) {
            if (rawClass(twinReturn) != Flow.Publisher.class) return "a Flow must be a Flow.Publisher, is " + twinReturn;
            return null;
        }
        if (function.isSuspend()) {
            if (rawClass(twinReturn) != CompletableFuture.class) return "a suspend function must return a CompletableFuture, returns " + twinReturn;
            Type value = typeArgument(twinReturn);
            Class<?> valueClass = rawClass(value);
            if (kotlinReturn == Unit.class) return valueClass == Void.class ? null : "Unit must be CompletableFuture<Void>";
            if (returnType.isMarkedNullable()) {
                if (kotlinReturn == Long.class && valueClass == OptionalLong.class) return null;
                if (valueClass == Optional.class && rawClass(typeArgument(value)) == kotlinReturn) return null;
                return "a nullable " + kotlinReturn.getSimpleName() + " must be an Optional, is " + value;
            }
            return valueClass == kotlinReturn ? null : "expected CompletableFuture<" + kotlinReturn.getSimpleName() + ">, is " + twinReturn;
        }
        return rawClass(twinReturn) == kotlinReturn ? null : "expected " + kotlinReturn.getSimpleName() + ", is " + twinReturn;
    }

    private static boolean isFunctionType(KType type) {
        Object classifier = type.getClassifier();
        return classifier instanceof KClass<?> k && JvmClassMappingKt.getJavaClass(k).getName().startsWith("kotlin.jvm.functions.Function")
            || classifier instanceof KClass<?> k2 && k2.getQualifiedName() != null && k2.getQualifiedName().startsWith("kotlin.Function");
    }

    private static Class<?> classifier(KType type) {
        if (type.getClassifier() instanceof KClass<?> k) return JvmClassMappingKt.getJavaObjectType(k);
        return Object.class; // a type parameter
    }

    private static Type typeArgument(Type type) {
        return ((ParameterizedType) type).getActualTypeArguments()[0];
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) return c;
        if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        if (type instanceof java.lang.reflect.WildcardType w) return rawClass(w.getUpperBounds()[0]);
        return Object.class;
    }

    private static Class<?> boxed(Class<?> primitive) {
        if (primitive == long.class) return Long.class;
        if (primitive == int.class) return Integer.class;
        if (primitive == boolean.class) return Boolean.class;
        return primitive;
    }

    private static String describe(List<KParameter> parameters) {
        return parameters.stream().map(p -> p.getName() + ": " + p.getType()).toList().toString().replace('[', '(').replace(']', ')');
    }
}
