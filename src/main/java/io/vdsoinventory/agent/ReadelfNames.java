package io.vdsoinventory.agent;

/** Symbol type and binding spelled as GNU readelf prints them (binutils readelf.c get_symbol_type/_binding). */
final class ReadelfNames {

    private static final int STT_GNU_IFUNC = 10;
    private static final int STB_GNU_UNIQUE = 10;
    private static final int LOOS = 10;
    private static final int LOPROC = 13;

    private ReadelfNames() {
    }

    static String type(int type) {
        switch (type) {
            case 0: return "NOTYPE";
            case 1: return "OBJECT";
            case 2: return "FUNC";
            case 3: return "SECTION";
            case 4: return "FILE";
            case 5: return "COMMON";
            case 6: return "TLS";
            case 8: return "RELC";
            case 9: return "SRELC";
            case STT_GNU_IFUNC: return "IFUNC";
            default: return reserved(type);
        }
    }

    static String binding(int binding) {
        switch (binding) {
            case 0: return "LOCAL";
            case 1: return "GLOBAL";
            case 2: return "WEAK";
            case STB_GNU_UNIQUE: return "UNIQUE";
            default: return reserved(binding);
        }
    }

    private static String reserved(int code) {
        if (code >= LOPROC) {
            return "<processor specific>: " + code;
        }
        if (code >= LOOS) {
            return "<OS specific>: " + code;
        }
        return "<unknown>: " + code;
    }
}
