package io.vdsoinventory.protocol;

/**
 * The answer to an accepted image upload.
 *
 * @param sha256 the image, as hashed by the service
 * @param status how the service could use the bytes ({@code ANALYZED})
 */
public record ImageReceipt(String sha256, String status) {
}
