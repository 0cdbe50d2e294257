/** Injection tokens for the ports; adapters are bound to them in StoresModule. */
export const EVENT_STORE = Symbol('EventStore');
export const READ_STORE = Symbol('ReadStore');
export const APP_CONFIG = Symbol('AppConfig');
export const PROJECTOR = Symbol('Projector');
