# An ML training environment with every mistake Airlock looks for.

provider "aws" {
  region     = "us-east-1"
  access_key = "AKIAZ7Q4XB2M5N8K3JPL"
}

resource "aws_s3_bucket" "datasets" {
  bucket = "acme-training-datasets"
  acl    = "public-read"
}

resource "aws_db_instance" "features" {
  identifier     = "feature-store"
  engine         = "postgres"
  instance_class = "db.t3.medium"
  username       = "ml"
  password       = "Feature-Store-2024!"
}

resource "aws_security_group" "notebooks" {
  name = "notebooks"

  ingress {
    description = "Jupyter from anywhere"
    from_port   = 8888
    to_port     = 8888
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "kubernetes_deployment" "inference" {
  metadata {
    name = "inference"
  }
  spec {
    template {
      metadata {
        labels = { app = "inference" }
      }
      spec {
        container {
          name  = "server"
          image = "acme/inference:latest"
        }
      }
    }
  }
}
