package dev.weft.model.networking;

/** Whether a ServiceEntry is inside the mesh. */
public enum Location {
  MESH_EXTERNAL,
  MESH_INTERNAL
}
