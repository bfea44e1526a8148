# Datasets on Google Cloud and Azure, open to anyone.

resource "google_storage_bucket" "datasets" {
  name     = "acme-public-datasets"
  location = "EU"
}

resource "google_storage_bucket_iam_member" "public" {
  bucket = google_storage_bucket.datasets.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_bigquery_dataset" "labels" {
  dataset_id = "labels"

  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers"
  }
}

resource "azurerm_storage_account" "lake" {
  name                            = "acmelake"
  resource_group_name             = "ml"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = true
}

resource "azurerm_storage_container" "exports" {
  name                  = "exports"
  storage_account_name  = azurerm_storage_account.lake.name
  container_access_type = "container"
}

# Azure OpenAI with the provider's defaults: public network access on, no network ACLs.
resource "azurerm_cognitive_account" "openai" {
  name                = "team-openai"
  location            = "swedencentral"
  resource_group_name = "ml"
  kind                = "OpenAI"
  sku_name            = "S0"
}

# A Vertex AI Workbench instance gets an external IP unless gce_setup says otherwise.
resource "google_workbench_instance" "research" {
  name     = "research"
  location = "us-central1-a"

  gce_setup {
    machine_type = "n1-standard-4"
  }
}
