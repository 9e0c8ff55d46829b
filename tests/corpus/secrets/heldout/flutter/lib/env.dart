class Env {
  static const String apiBase = 'https://api.shop.internal';
  static const String revenueCatKey = 'goog_7FEEPkW1iid7Jdxea0Cx';
  static const String backendSecret = 'fwypqhr7RqglJuCIx0pcPNxjp24L4dK1';
}
