export { profilePath, readPeerProfile, peerProfileOrUndefined, profileDefaultRuntime, writePeerProfile, type ProfileRead } from './profile-file';
