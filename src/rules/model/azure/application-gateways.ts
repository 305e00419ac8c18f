// Azure Application Gateways from Terraform (terraform-provider-azurerm): their named blocks (probes,
// backend HTTP settings), as the azure rules see them (docs/lb-facts.md §6c).
import { child, itemsOf, scalarAt, type TreeNode } from "../../../formats/tree.js";
import { terraformResources } from "../iac/terraform.js";

/** One named block (`probe`, `backend_http_settings`) of an application gateway. */
export interface GatewayBlock {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  readonly body: TreeNode;
  readonly gateway: string;
}

export function gatewayBlocksOf(
  tree: TreeNode | null,
  blockName: string,
  noun: string,
): GatewayBlock[] {
  if (!tree) return [];
  return terraformResources(tree, ["azurerm_application_gateway"]).flatMap((gateway) =>
    itemsOf(child(gateway.body, blockName)).flatMap((block) => {
      const name = scalarAt(block, "name");
      if (typeof name !== "string") return [];
      return [
        {
          key: `${gateway.name}/${blockName}/${name}`,
          label: `${noun} "${name}" of application gateway "${gateway.name}"`,
          path: `${gateway.path}.${blockName}[name=${name}]`,
          line: block.line,
          body: block,
          gateway: gateway.name,
        },
      ];
    }),
  );
}
