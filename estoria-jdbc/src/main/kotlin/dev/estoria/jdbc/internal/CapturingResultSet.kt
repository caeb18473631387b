package dev.estoria.jdbc.internal

import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Proxy
import java.sql.ResultSet

/**
 * [rs] as seen by a row reader, reporting the value of the `BIGINT` [column] of every row it moves to
 * to [sink]. Lets the first page of a global read return its frontier as an extra column without the
 * event decoder knowing about it.
 */
internal fun capturingLong(rs: ResultSet, column: Int, sink: (Long) -> Unit): ResultSet =
    Proxy.newProxyInstance(ResultSet::class.java.classLoader, arrayOf(ResultSet::class.java)) { _, method, args ->
        val result = try {
            method.invoke(rs, *(args ?: emptyArray()))
        } catch (e: InvocationTargetException) {
            throw e.targetException
        }
        if (method.name == "next" && result == true) sink(rs.getLong(column))
        result
    } as ResultSet
