export { startAlchemy, AlchemyConfigError, DEFAULT_EXPIRATION_SECONDS, REQUIRED_DISCOVERY_FIELDS, type AlchemyOptions } from "./service";
export { EVM_PATH, SOLANA_PATH, type SignerUser } from "./accounts";
