# An explicit Terragrunt stack: each unit is fetched from the catalog every time the stack is generated.
unit "vpc" {
  source = "git::https://github.com/acme/infrastructure-catalog.git//units/vpc?ref=v1.4.2"
  path   = "vpc"
}

unit "database" {
  source = "git::https://github.com/acme/infrastructure-catalog.git//units/postgres"
  path   = "database"
  values = {
    instance_class = "db.r6g.large"
    password       = "Pg-Stack-2024!prod"
  }
}
