package io.taskbound.figures;

/** A job this node holds: started, or claimed ahead and waiting for a free slot of its lane. */
public record JobLoad(String lane, String name, boolean started) {}
