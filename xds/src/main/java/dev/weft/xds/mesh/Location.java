package dev.weft.xds.mesh;

/** Whether a service is part of the mesh (mTLS and mesh policy apply) or outside it. */
public enum Location {
    MESH_EXTERNAL, MESH_INTERNAL
}
