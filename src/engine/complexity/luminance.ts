/**
 * The gray (luminance) plane that the single-channel measures analyse: the image itself when it
 * is gray, Rec. 601 luma (0.299 R + 0.587 G + 0.114 B, rounded) when it is RGB. Computed once
 * per decoded image and shared by every measure of that image.
 */
import { withChannels, type DecodedImage } from '../data/imageio';

const planes = new WeakMap<DecodedImage, Uint8Array>();

export function luminancePlane(image: DecodedImage): Uint8Array {
  let plane = planes.get(image);
  if (!plane) {
    plane = image.channels === 1 ? image.pixels : withChannels(image, 1).pixels;
    planes.set(image, plane);
  }
  return plane;
}

/** Area unit of the density measures (blobs, keypoints): one 32 x 32 pixel block. */
export const DENSITY_AREA_UNIT_PX = 32 * 32;
