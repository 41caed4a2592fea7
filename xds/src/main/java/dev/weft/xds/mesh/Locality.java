package dev.weft.xds.mesh;

/** Istio's {@code region/zone/subzone}; missing parts are empty strings. */
public record Locality(String region, String zone, String subzone) {

    public static final Locality UNKNOWN = new Locality("", "", "");

    public static Locality parse(String value) {
        if (value == null || value.isEmpty()) {
            return UNKNOWN;
        }
        String[] parts = value.split("/", 3);
        return new Locality(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
    }

    @Override
    public String toString() {
        return region + "/" + zone + "/" + subzone;
    }
}
