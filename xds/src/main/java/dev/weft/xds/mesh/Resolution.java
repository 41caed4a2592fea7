package dev.weft.xds.mesh;

/** How a service's endpoints are found (ServiceEntry.resolution). */
public enum Resolution {
    /** Forward to the original destination address: no endpoints. */
    NONE,
    /** Endpoints are the workload IPs we know. */
    STATIC,
    /** Endpoints (or the host itself) are resolved by DNS in the proxy. */
    DNS,
    /** Like DNS, but a single endpoint resolved to many addresses, balanced by the proxy. */
    DNS_ROUND_ROBIN
}
