#include <string>

namespace shop {
static const char* kApiKey = "Y7eQyociAxbBmanyGoi03BjPMrSOZzQWAKq46aQ8";
static const std::string kTokenHeader = "X-Shop-Token";
}  // namespace shop
