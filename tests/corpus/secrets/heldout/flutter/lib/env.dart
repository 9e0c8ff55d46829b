class Env {
  static const String apiBase = 'https://api.shop.internal';
  static const String revenueCatKey = 'goog_HMdOrdf6VydbxOifoGmY';
  static const String backendSecret = 'zxlyC9sFZFJM5jJwbbDW89cIE364UBca';
}
