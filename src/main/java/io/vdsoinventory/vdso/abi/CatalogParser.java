package io.vdsoinventory.vdso.abi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the catalog's line format (described at the top of {@code abi-catalog.txt}): {@code abi} records, each
 * followed by the {@code sym} records of that ABI, fields separated by {@code |}, {@code -} for "none".
 * Any malformed line is an {@link IllegalStateException} naming the origin, line number and reason.
 */
final class CatalogParser {

    private static final String NONE = "-";
    private static final int ABI_FIELDS = 6;
    private static final int SYM_FIELDS = 10;

    private final String origin;
    private final Map<String, EntryBuilder> builders = new LinkedHashMap<>();
    private int lineNumber;

    private CatalogParser(String origin) {
        this.origin = origin;
    }

    static List<AbiEntry> parse(List<String> lines, String origin) {
        CatalogParser parser = new CatalogParser(origin);
        for (String line : lines) {
            parser.lineNumber++;
            parser.parseLine(line);
        }
        return parser.finish();
    }

    private void parseLine(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return;
        }
        String[] fields = Arrays.stream(trimmed.split("\\|", -1)).map(String::strip).toArray(String[]::new);
        for (String field : fields) {
            if (field.isEmpty()) {
                throw malformed("empty field (write - for none)");
            }
        }
        switch (fields[0]) {
            case "abi" -> parseAbi(fields);
            case "sym" -> parseSym(fields);
            default -> throw malformed("unknown record type '" + fields[0] + "' (expected abi or sym)");
        }
    }

    private void parseAbi(String[] fields) {
        expectFieldCount(fields, ABI_FIELDS, "abi | id | arch keys | sonames | version nodes | source");
        String id = token(fields[1], "ABI id");
        if (builders.containsKey(id)) {
            throw malformed("ABI '" + id + "' is declared twice");
        }
        builders.put(id, new EntryBuilder(id, tokens(fields[2], "arch keys"), tokens(fields[3], "sonames"),
                tokens(fields[4], "version nodes"), fields[5]));
    }

    private void parseSym(String[] fields) {
        expectFieldCount(fields, SYM_FIELDS,
                "sym | abi | name | node | since | certainty | removed in | gate | source | since source");
        EntryBuilder entry = builders.get(fields[1]);
        if (entry == null) {
            throw malformed("symbol of undeclared ABI '" + fields[1] + "' (declare the abi line first)");
        }
        String name = token(fields[2], "symbol name");
        String node = token(fields[3], "version node");
        if (!entry.versionNodes.contains(node)) {
            throw malformed("version node " + node + " is not declared by ABI " + entry.id);
        }
        if (!entry.names.add(name)) {
            throw malformed("symbol " + name + " is listed twice for ABI " + entry.id);
        }
        KernelVersion since = version(fields[4]);
        Certainty certainty = certainty(fields[5]);
        Optional<KernelVersion> removedIn = fields[6].equals(NONE) ? Optional.empty() : Optional.of(version(fields[6]));
        if (removedIn.isPresent() && removedIn.get().compareTo(since) <= 0) {
            throw malformed("symbol " + name + " is removed in " + removedIn.get() + ", not after it came in " + since);
        }
        String gate = fields[7].equals(NONE) ? "" : fields[7];
        entry.symbols.add(new AbiSymbol(name, node, since, certainty, removedIn, gate, fields[8], fields[9]));
    }

    private List<AbiEntry> finish() {
        if (builders.isEmpty()) {
            throw new IllegalStateException(origin + ": no abi record");
        }
        List<AbiEntry> entries = new ArrayList<>();
        for (EntryBuilder builder : builders.values()) {
            if (builder.symbols.isEmpty()) {
                throw new IllegalStateException(origin + ": ABI " + builder.id + " lists no symbol");
            }
            entries.add(new AbiEntry(builder.id, builder.archKeys, builder.sonames, builder.versionNodes,
                    builder.symbols, builder.source));
        }
        return entries;
    }

    private void expectFieldCount(String[] fields, int expected, String layout) {
        if (fields.length != expected) {
            throw malformed(fields.length + " fields where " + expected + " are expected (" + layout + ")");
        }
    }

    /** A name: symbols, nodes, sonames and arch keys never contain blanks or commas. */
    private String token(String text, String what) {
        if (!text.matches("[A-Za-z0-9_.+-]+") || text.equals(NONE)) {
            throw malformed("bad " + what + " '" + text + "'");
        }
        return text;
    }

    private List<String> tokens(String text, String what) {
        List<String> result = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            result.add(token(part.strip(), what));
        }
        if (new HashSet<>(result).size() != result.size()) {
            throw malformed("repeated name in " + what + " '" + text + "'");
        }
        return result;
    }

    private KernelVersion version(String text) {
        try {
            return KernelVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    private Certainty certainty(String text) {
        try {
            return Certainty.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw malformed("certainty must be verified or guess, not '" + text + "'");
        }
    }

    private IllegalStateException malformed(String reason) {
        return new IllegalStateException(origin + " line " + lineNumber + ": " + reason);
    }

    private static final class EntryBuilder {
        final String id;
        final List<String> archKeys;
        final List<String> sonames;
        final List<String> versionNodes;
        final String source;
        final List<AbiSymbol> symbols = new ArrayList<>();
        final Set<String> names = new HashSet<>();

        EntryBuilder(String id, List<String> archKeys, List<String> sonames, List<String> versionNodes,
                String source) {
            this.id = id;
            this.archKeys = archKeys;
            this.sonames = sonames;
            this.versionNodes = versionNodes;
            this.source = source;
        }
    }
}
