# Inputs of the ChurnOps AWS stack. Set them in terraform.tfvars, e.g.
#   aws_region   = "eu-west-1"
#   environment  = "production"
#   project_name = "churn-mlops"
#   certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/..."

variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Deployment environment; part of every resource name (e.g. staging, production)."
  type        = string
  default     = "production"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "project_name" {
  description = "Project name; prefix of every resource name."
  type        = string
  default     = "churn-mlops"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.project_name))
    error_message = "project_name must be 2-16 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; split into one public and one private /20 per availability zone."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones to spread subnets and tasks over."
  type        = number
  default     = 2
}

variable "certificate_arn" {
  description = "ACM certificate for the load balancer's HTTPS listener."
  type        = string
}

variable "allowed_cidr_blocks" {
  description = "Client networks allowed to reach the load balancer on 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "image_tag" {
  description = "Tag of the churn image in the ECR repository to run: CI pushes one per commit (the commit SHA); tags are immutable."
  type        = string
}

variable "model_key" {
  description = "S3 key, in the artifacts bucket, of the model.json the service scores with."
  type        = string
  default     = "models/production/model.json"
}

variable "deletion_protection" {
  description = "The load balancer's deletion protection. Set false (with allow_destroy) in an apply just before `terraform destroy` (docs/deployment.md)."
  type        = bool
  default     = true
}

variable "allow_destroy" {
  description = "Lets `terraform destroy` remove everything: buckets and the image repository emptied, the secret deleted without a recovery window. Set it (with deletion_protection = false) in an apply just before destroying (docs/deployment.md)."
  type        = bool
  default     = false
}

variable "alarm_email" {
  description = "Address subscribed to the CloudWatch alarms' SNS topic (empty: no subscription; add your own)."
  type        = string
  default     = ""
}

variable "min_count" {
  description = "Fewest API tasks the autoscaler keeps (as the Kubernetes HPA's minReplicas)."
  type        = number
  default     = 3
}

variable "max_count" {
  description = "Most API tasks the autoscaler starts (as the HPA's maxReplicas)."
  type        = number
  default     = 10
}

variable "desired_count" {
  description = "API tasks when the service is created; afterwards the autoscaler (min_count..max_count) sets the count."
  type        = number
  default     = 3
}

variable "task_cpu" {
  description = "CPU units per task (1024 = one vCPU)."
  type        = number
  default     = 512
}

variable "task_memory" {
  description = "Memory per task, MiB."
  type        = number
  default     = 1024
}

variable "log_retention_days" {
  description = "How long CloudWatch keeps API, WAF and VPC flow logs."
  type        = number
  default     = 365
}
