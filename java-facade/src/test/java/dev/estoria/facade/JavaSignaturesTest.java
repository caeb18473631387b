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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Kotlin type (Function1, Unit, Pair, Continuation, kotlin.time, coroutine types…) appears in a
 * signature a Java caller of this module can see: every public method and constructor of every public class.
 * Kotlin-only conveniences (`asAsync(scope)`) are @JvmSynthetic and thus invisible to Java.
 */
class JavaSignaturesTest {
    @Test
    void publicSignaturesUseNoKotlinTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(AsyncEventStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> problems = new ArrayList<>();
        int checkedClasses = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (!isJavaVisible(type)) continue;
                checkedClasses++;
                List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
                members.addAll(List.of(type.getDeclaredConstructors()));
                for (Executable member : members) {
                    if (!Modifier.isPublic(member.getModifiers()) || member.isSynthetic()) continue;
                    List<Type> types = new ArrayList<>(List.of(member.getGenericParameterTypes()));
                    if (member instanceof Method m) types.add(m.getGenericReturnType());
                    for (Type t : types) {
                        String kotlin = kotlinTypeIn(t);
                        if (kotlin != null) problems.add(type.getName() + "." + member.getName() + " uses " + kotlin);
                    }
                }
            }
        }
        assertTrue(checkedClasses >= 10, "only " + checkedClasses + " classes checked");
        assertEquals(List.of(), problems);
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
