# Monitoring on AWS: every task's /metrics in Amazon Managed Prometheus, the same alert rules as
# Prometheus elsewhere (monitoring/alerts.yml), and CloudWatch alarms that need no Prometheus at all.
#
# Why a collector sidecar writing to Amazon Managed Prometheus (AMP): Fargate tasks come and go
# with new private addresses and have no host for a node agent, and the AMP managed scraper only
# scrapes EKS. A collector in each task scrapes its own API on localhost (no discovery, no port
# opened to the network), and AMP keeps the series, evaluates alerts.yml unchanged, and serves
# PromQL to Grafana and `churn dashboard --prometheus` (through a SigV4 proxy). The CloudWatch
# alarms below watch the load balancer's own metrics, so an outage of the whole service, or of
# the collectors, still pages.

locals {
  collector_config = yamlencode({
    extensions = {
      sigv4auth = { region = var.aws_region, service = "aps" }
    }
    receivers = {
      prometheus = {
        config = {
          scrape_configs = [{
            job_name        = "churn-api"
            scrape_interval = "15s"
            metrics_path    = "/metrics"
            static_configs  = [{ targets = ["localhost:${local.api_port}"] }]
          }]
        }
      }
    }
    processors = {
      # The task's ARN and family become labels, so each task's series stay apart.
      "resourcedetection/ecs" = { detectors = ["env", "ecs"], timeout = "5s", override = false }
      batch                   = {}
    }
    exporters = {
      prometheusremotewrite = {
        endpoint                         = "${aws_prometheus_workspace.main.prometheus_endpoint}api/v1/remote_write"
        auth                             = { authenticator = "sigv4auth" }
        resource_to_telemetry_conversion = { enabled = true }
      }
    }
    service = {
      extensions = ["sigv4auth"]
      pipelines = {
        metrics = {
          receivers  = ["prometheus"]
          processors = ["resourcedetection/ecs", "batch"]
          exporters  = ["prometheusremotewrite"]
        }
      }
    }
  })
}

resource "aws_cloudwatch_log_group" "prometheus" {
  name              = "/aws/prometheus/${local.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_prometheus_workspace" "main" {
  alias       = local.name
  kms_key_arn = aws_kms_key.main.arn

  logging_configuration {
    log_group_arn = "${aws_cloudwatch_log_group.prometheus.arn}:*"
  }
}

# The rules every other deployment runs, from the same file.
resource "aws_prometheus_rule_group_namespace" "churn_api" {
  name         = "churn-api"
  workspace_id = aws_prometheus_workspace.main.id
  data         = file("${path.module}/../monitoring/alerts.yml")
}

# AMP's Alertmanager sends to the alerts topic (Alertmanager's e-mail and Slack receivers need
# outbound access AMP does not have; subscribe people and chat integrations to the topic).
resource "aws_prometheus_alert_manager_definition" "main" {
  workspace_id = aws_prometheus_workspace.main.id
  definition = yamlencode({
    alertmanager_config = yamlencode({
      route = {
        receiver        = "sns"
        group_by        = ["alertname", "job"]
        group_wait      = "30s"
        group_interval  = "5m"
        repeat_interval = "4h"
      }
      receivers = [{
        name = "sns"
        sns_configs = [{
          topic_arn     = aws_sns_topic.alerts.arn
          sigv4         = { region = var.aws_region }
          send_resolved = true
        }]
      }]
    })
  })
}

data "aws_iam_policy_document" "task_metrics" {
  statement {
    actions   = ["aps:RemoteWrite"]
    resources = [aws_prometheus_workspace.main.arn]
  }
}

resource "aws_iam_role_policy" "task_metrics" {
  name   = "write-metrics"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_metrics.json
}

# ---------------------------------------------------------------------------------------------
# Alerts topic and CloudWatch alarms.

resource "aws_sns_topic" "alerts" {
  name              = "${local.name}-alerts"
  kms_master_key_id = aws_kms_key.main.arn
}

data "aws_iam_policy_document" "alerts_topic" {
  statement {
    sid       = "AlarmsAndPrometheusPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "aps.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts_topic.json
}

resource "aws_sns_topic_subscription" "alerts_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# HighErrorRate as alerts.yml defines it: more than 5% of requests answered 5xx, held for 5
# minutes (five 1-minute periods), from the load balancer's count of the tasks' answers.
resource "aws_cloudwatch_metric_alarm" "high_error_rate" {
  alarm_name          = "${local.name}-HighErrorRate"
  alarm_description   = "More than 5% of API requests fail with 5xx (alerts.yml HighErrorRate)"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  metric_query {
    id          = "error_percent"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "5xx share (%)"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      period      = 60
      stat        = "Sum"
      dimensions = {
        LoadBalancer = aws_lb.api.arn_suffix
        TargetGroup  = aws_lb_target_group.api.arn_suffix
      }
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      period      = 60
      stat        = "Sum"
      dimensions = {
        LoadBalancer = aws_lb.api.arn_suffix
        TargetGroup  = aws_lb_target_group.api.arn_suffix
      }
    }
  }
}

# ApiDown: no healthy task behind the load balancer for a minute.
resource "aws_cloudwatch_metric_alarm" "api_down" {
  alarm_name          = "${local.name}-ApiDown"
  alarm_description   = "No healthy churn-api task behind the load balancer (alerts.yml ApiDown)"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
  dimensions = {
    LoadBalancer = aws_lb.api.arn_suffix
    TargetGroup  = aws_lb_target_group.api.arn_suffix
  }
}
