provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.54.1"
  constraints = "~> 5.0"
  hashes = [
    "h1:yIwCr8outXEa0B6ymCMJhuGdxHF90oopm1RNDWyE640=",
    "zh:8fcba28ddfa85ac535150bb4e0f93200e051c1e4cfe6f4247b6678577cae5e6b",
    "zh:df5ebe78c4fbbff1605f7817032fe8cc9906591e02fc84e0f1916a99d37a6319",
  ]
}
