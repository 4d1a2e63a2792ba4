# What the CI workflow and operators need after `terraform apply`.

output "alb_dns_name" {
  description = "DNS name of the load balancer; point the API's DNS record (CNAME/alias) at it."
  value       = aws_lb.api.dns_name
}

output "api_url" {
  description = "Base URL of the scoring API once DNS points at the load balancer."
  value       = "https://${aws_lb.api.dns_name}"
}

output "ecr_repository_url" {
  description = "Where CI pushes the churn image."
  value       = aws_ecr_repository.api.repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster running the API."
  value       = aws_ecs_cluster.main.name
}

output "ecs_service_name" {
  description = "ECS service of the API (for `aws ecs update-service --force-new-deployment`)."
  value       = aws_ecs_service.api.name
}

output "artifacts_bucket" {
  description = "S3 bucket for model artifacts; the service loads var.model_key from it."
  value       = aws_s3_bucket.artifacts.bucket
}

output "cloudwatch_log_group" {
  description = "CloudWatch log group of the API tasks."
  value       = aws_cloudwatch_log_group.api.name
}

output "api_token_secret_arn" {
  description = "Secrets Manager secret holding the API bearer token; set its value out of band."
  value       = aws_secretsmanager_secret.api_token.arn
}

output "vpc_id" {
  description = "VPC of the stack."
  value       = aws_vpc.main.id
}

output "private_subnet_ids" {
  description = "Private subnets the tasks run in."
  value       = aws_subnet.private[*].id
}

output "prometheus_endpoint" {
  description = "Amazon Managed Prometheus workspace endpoint (PromQL at <endpoint>api/v1/query, SigV4-signed)"
  value       = aws_prometheus_workspace.main.prometheus_endpoint
}

output "alerts_topic_arn" {
  description = "SNS topic of the CloudWatch alarms and the Prometheus alerts; subscribe on-call to it"
  value       = aws_sns_topic.alerts.arn
}
