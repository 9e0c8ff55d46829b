provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.54.1"
  constraints = "~> 5.0"
  hashes = [
    "h1:waXTQ7Qy1M63CKWennQG2BXVbs8snVfAHPWLvqhgYPE=",
    "zh:f23885f8376ad13104011b6213645aae99029f1aa2513fbfad4eca6ba59dff80",
    "zh:3712456236853ffbcf7c43b689d0d5af9703c398c581824f2bdc61fa7c9ba0f1",
  ]
}
