package io.vdsoinventory.server.fleet;


/**
 * Published (after commit) when the bytes of a new image were stored; detection listens to it.
 *
 * @param sha256 the image
 * @param status whether it could be analysed
 */
public record ImageStored(String sha256, ImageStatus status) {
}
