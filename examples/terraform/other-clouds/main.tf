# Model artifacts on Oracle Cloud and Alibaba Cloud, open to anyone.

resource "oci_objectstorage_bucket" "checkpoints" {
  compartment_id = var.compartment_ocid
  name           = "checkpoints"
  namespace      = var.namespace
  access_type    = "ObjectRead"
}

resource "alicloud_oss_bucket" "datasets" {
  bucket = "acme-datasets"
}

resource "alicloud_oss_bucket_acl" "datasets" {
  bucket = alicloud_oss_bucket.datasets.bucket
  acl    = "public-read"
}

variable "compartment_ocid" {}
variable "namespace" {}
