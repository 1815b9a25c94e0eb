package io.streamprop.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The class names of a classifier whose labels are names: each name owns the output unit of
 * its index, in the order the names were first seen.
 */
final class ClassNames {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    ClassNames(List<String> initial) {
        initial.forEach(this::add);
    }

    /** The unit of {@code name}, or -1 when the name is new. */
    int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** Gives {@code name}, which must be new, the next unit; returns it. */
    int add(String name) {
        if (index.putIfAbsent(name, names.size()) != null) {
            throw new IllegalArgumentException("class '" + name + "' is already known");
        }
        names.add(name);
        return names.size() - 1;
    }

    int size() {
        return names.size();
    }

    /** The name of unit {@code i}, or null when that unit has no name yet. */
    String nameOf(int i) {
        return i >= 0 && i < names.size() ? names.get(i) : null;
    }

    List<String> names() {
        return List.copyOf(names);
    }
}
