/** Builds the public URL of a stored picture (absolute when USHER_PUBLIC_URL is set). */
export type PictureUrl = (pictureId: string | null) => string | null;

export const pictureUrlFor =
  (publicUrl: string | undefined): PictureUrl =>
  (pictureId) =>
    pictureId === null ? null : `${publicUrl ?? ''}/pictures/${pictureId}`;
