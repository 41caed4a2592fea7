package dev.weft.proxy.upstream;

import java.util.Map;

/** The clusters in force and the version of the config they came with, as upstream workers see them. */
public interface ClusterSnapshot {

    long version();

    Map<String, UpstreamCluster> clusters();
}
