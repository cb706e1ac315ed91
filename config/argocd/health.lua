-- Argo CD health check for the okta-assurance-operator kinds
-- (DeviceAssurancePolicy, SignInRuleBinding, OktaOrg, ClusterOktaOrg).
-- It reads the kstatus conditions the controllers write: Stalled=True is
-- Degraded, Ready=True for the current generation is Healthy, anything
-- else is Progressing.
local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the operator to reconcile the object"
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= obj.metadata.generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation)
  return hs
end
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Stalled" and condition.status == "True" then
    hs.status = "Degraded"
    hs.message = condition.message
    return hs
  end
end
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    if condition.status == "True" then
      hs.status = "Healthy"
    end
    hs.message = condition.message
    return hs
  end
end
return hs
