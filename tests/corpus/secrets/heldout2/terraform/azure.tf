provider "azurerm" {
  features {}
  subscription_id = "2127098b-e711-41ae-861b-e472768ef131"
  tenant_id       = "fc9a251e-8e7a-4750-bf3b-cdcff1348640"
  client_id       = "6aca2188-b49c-4aac-ac47-f17d8ec0a1e2"
  client_secret   = "yGrucB9FBOUFJhZPOrlGd3HIclVhJ6kc~OzxBYB4HxeyXIDxQFa4j"
}
