/** The shapes of git commit ids, for the rules that judge git refs (actions, pip VCS installs, module sources). */

/** A full-length commit id: the only ref the repository's owner cannot move to other code. */
export const FULL_COMMIT = /^[0-9a-f]{40}$/i;
/** 7 to 39 hex digits: an abbreviated commit, which git resolves while it is unambiguous (a commit in a fork can be made to share it). */
export const SHORT_COMMIT = /^[0-9a-f]{7,39}$/i;
