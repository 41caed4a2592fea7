package dev.weft.cli.local;

/**
 * Where each process of a local mesh listens. Linux routes all of 127.0.0.0/8 to the loopback device, so
 * every workload gets its own address, {@code 127.0.<block>.<2+i>}, like a pod IP: its app keeps its real
 * port (9080) and its sidecar keeps Istio's ports ({@link #ADMIN} 15000, {@link #OUTBOUND} 15001,
 * {@link #INBOUND} 15006, {@link #HEALTH} 15021, {@link #STATS} 15090) without colliding with any other workload. The ingress gateway and weftd
 * listen on 127.0.0.1, where a browser reaches them. {@code block} separates meshes run side by side.
 */
public record AddressPlan(int block) {

  public static final int ADMIN = 15000;
  public static final int OUTBOUND = 15001;
  public static final int INBOUND = 15006;
  public static final int HEALTH = 15021;
  public static final int STATS = 15090;
  public static final String GATEWAY_IP = "127.0.0.1";
  /** Ports per workload: inbound listeners 15006.. stop short of 15021. */
  public static final int MAX_PORTS = HEALTH - INBOUND;
  /** Workloads per block: .2 to .254. */
  public static final int MAX_WORKLOADS = 253;

  public static final AddressPlan DEFAULT = new AddressPlan(1);

  public AddressPlan {
    if (block < 1 || block > 254) {
      throw new IllegalArgumentException("address block " + block + " is not in 1-254");
    }
  }

  /** The address of the {@code index}-th workload (0-based) of the mesh. */
  public String workloadIp(int index) {
    if (index < 0 || index >= MAX_WORKLOADS) {
      throw new IllegalArgumentException("a local mesh holds at most " + MAX_WORKLOADS + " workloads");
    }
    return "127.0." + block + "." + (index + 2);
  }

  /**
   * Without capture, a sidecar cannot share an app's port on the same address: the {@code i}-th port of a
   * workload is accepted by its sidecar on {@code 15006 + i} and forwarded to the app's real port.
   */
  public static int inboundPort(int portIndex) {
    if (portIndex < 0 || portIndex >= MAX_PORTS) {
      throw new IllegalArgumentException("a workload has at most " + MAX_PORTS + " ports");
    }
    return INBOUND + portIndex;
  }
}
