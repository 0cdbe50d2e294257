/** Injection tokens for the ports; adapters are bound to them in StoresModule. */
export const EVENT_STORE = Symbol('EventStore');
export const READ_STORE = Symbol('ReadStore');
export const APP_CONFIG = Symbol('AppConfig');
export const PROJECTOR = Symbol('Projector');
export const TOKEN_VERIFIER = Symbol('TokenVerifier');
export const PERSONAL_DATA_VAULT = Symbol('PersonalDataVault');
export const PSEUDONYMISER = Symbol('Pseudonymiser');
export const DATA_KEY_STORE = Symbol('DataKeyStore');
export const REQUEST_HASHER = Symbol('RequestHasher');
